"""The pages, in four layers, each importing only those before it: ``content`` (what a page
shows), ``live`` (widgets under Voilà), ``pages`` (one module a page) and ``views`` (a page as
HTML and files, no kernel). Only this package imports widgets."""
