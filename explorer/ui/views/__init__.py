"""A page rendered with no kernel: read views as HTML (readview) and as files for a static host
(bake), with their stylesheet and the one script a view may run."""
