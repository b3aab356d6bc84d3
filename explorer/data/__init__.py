"""Reading the shipped files: the figures with their sources, the texts in both languages,
YAML read safely. Nothing here knows the model."""
