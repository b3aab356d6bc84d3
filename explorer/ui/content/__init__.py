"""What a page shows, whatever the medium: charts as Vega-Lite specifications, KPI cards and
notes as HTML, the glossary, and a page's state as a link. No widgets here."""
