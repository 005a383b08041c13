"""Generators run by hand or by make, never imported at run time: documents and seeds written from the code."""
