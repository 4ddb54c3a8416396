"""Review stages: the queue, terminal review loop, the spreadsheet format, agreement, double-coding plans."""
