"""Command line: dpia new / check / forms check / schema."""
def main() -> int:
    return 0
