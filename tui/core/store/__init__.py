"""What is kept, durably: annotations, the store's files, re-anchoring, undo history."""
