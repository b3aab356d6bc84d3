"""ipywidgets apps, one module per page. Only this package imports widgets."""
