"""One module a page (data/pages.py lists them): what it shows and its levers, on ``Page``."""
