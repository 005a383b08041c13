"""Generators run by hand, never imported at run time: documents written from the code (`python -m
tools.contract_docs` writes docs/contracts.md from the contracts)."""
