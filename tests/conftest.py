import pytest

from explorer import Outcome, Price, Scenario


@pytest.fixture
def hand_case() -> Scenario:
    """A small scenario whose numbers are worked out by hand in test_model.py."""
    price = Price("Anbringelse", "Placement", 200_000, kommune=0.75, region=0.0, stat=0.25)
    outcome = Outcome("placement", "Anbringelse", "Placement", base_flow=10, effect=0.5,
                      duration_years=2, prices=(price,))
    return Scenario(cases=100, caseload_before=50, caseload_after=25, worker_cost=500_000,
                    horizon_years=3, discount_rate=0.05, effect_scale=1, phase_in_years=0,
                    optimism_bias=0, staffing_ramp=0.5, one_off_cost=100_000,
                    other_cost_per_year=0, programme_years=20, reference_caseload_before=50,
                    reference_caseload_after=25, outcomes=(outcome,))
