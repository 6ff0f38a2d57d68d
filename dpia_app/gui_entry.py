"""Starts the desktop app."""
def main() -> int:
    return 0
