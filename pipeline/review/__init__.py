"""Review and retrain: the decision log's queue, terminal and spreadsheet review, agreement, promotion of models."""
