"""Shared test settings: a hypothesis profile sized for the 2-core CI machine."""
import os

from hypothesis import HealthCheck, settings

settings.register_profile(
    "ci", max_examples=int(os.environ.get("LEVELII_HYPOTHESIS_EXAMPLES", "60")), deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much], derandomize=True,
)
settings.load_profile("ci")
