"""What a reader takes away: the yearly table, the Excel workbook and the sources page."""
