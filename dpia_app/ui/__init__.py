"""The desktop wizard (Qt). It shows core.evaluate()'s results and owns no compliance logic."""
