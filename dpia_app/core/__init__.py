"""The assessment itself: form packs, answers, rules, risk method, verdict and draft files (no Qt)."""
