"""The reader's web pages: server-rendered Jinja2 templates, one stylesheet, no script."""
