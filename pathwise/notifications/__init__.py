"""Side effects of committed changes: e-mail (and later webhooks), run as background tasks."""
