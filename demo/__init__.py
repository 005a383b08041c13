"""The demo: a realistic, wholly made-up data set for every partner feed, and `hub demo`, which runs the hub on it.
Nothing here runs in production; the warehouse calls it only for `hub demo`."""
