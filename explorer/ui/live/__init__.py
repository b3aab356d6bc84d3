"""The live pages' machinery under Voilà: the Page base, the anywidgets and their browser code
(js/, style.css), the request a kernel serves and the offline Vega runtime."""
