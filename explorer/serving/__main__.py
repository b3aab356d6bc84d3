"""``python -m explorer.serving [notebooks] [voila options]``."""

from explorer.serving.app import main

main()
