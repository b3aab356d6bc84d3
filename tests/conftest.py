import pytest
from servers import CHROMIUM_ARGS, chromium_path

from explorer import Outcome, Price, Scenario

#: Tests `make test-fast` leaves out (marked ``slow`` here, by the start of their node id, or by
#: ``@pytest.mark.slow`` in their file; `make test` runs them). Seconds on two busy cores.
SLOW = (
    # LibreOffice recalculates ~70 workbooks (105 s), and writing them takes 54 s; the quick loop
    # recalculates one workbook a preset with every lever moved (tests/test_recipes.py)
    "tests/test_workbook.py::test_recalculated_workbook_equals_the_model",
    "tests/test_workbook.py::test_changing_an_input_cell_moves_the_results_as_the_model_says",
    "tests/test_workbook.py::test_cached_results_equal_the_formulas_for_a_reader_that",
    # nginx and Voilà servers started and stopped (18 s)
    "tests/test_deploy.py::",
    # a baked site (a subset: 40-80 s on two cores), and the links of every file followed
    "tests/test_readview.py::test_bake_writes_every_page",
    "tests/test_readview.py::test_a_baked_site",
    "tests/test_readview.py::test_the_baked_front_page",
    # own cases built, run and written back over many drawn values (5-30 s each)
    "tests/test_own_case.py::test_a_case_file_load_case_accepts_the_page_accepts",
    "tests/test_own_case.py::test_an_own_amount_keeps_who_pays",
    "tests/test_own_case.py::test_an_empty_forms_effect_is_the_effect",
    "tests/test_own_case.py::test_an_own_case_with_services_sets_their_reference",
    "tests/test_own_case.py::test_an_exit_outcome_with_no_effect_entered",
    "tests/test_own_case.py::test_a_caseload_after_above_before_is_refused",
)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if item.nodeid.startswith(SLOW):
            item.add_marker(pytest.mark.slow)


@pytest.fixture
def entry_case() -> Scenario:
    """A small prevention scenario whose numbers are worked out by hand in test_model.py."""
    price = Price("Anbringelse", "Placement", 200_000, kommune=0.75, region=0.0, stat=0.25)
    outcome = Outcome(
        "placement",
        "Anbringelse",
        "Placement",
        kind="entry",
        base_rate=0.1,
        effect=0.5,
        deadweight=0.2,
        duration_years=2,
        prices=(price,),
    )
    return Scenario(
        cases=100,
        caseload_before=50,
        caseload_after=25,
        worker_cost=500_000,
        overhead=0.2,
        start_year=2020,
        horizon_years=3,
        discount_rate=0.05,
        effect_scale=1,
        phase_in_years=0,
        optimism_bias=0,
        staffing_ramp=0.5,
        one_off_cost=100_000,
        other_cost_per_year=0,
        programme_years=20,
        reference_caseload_before=50,
        reference_caseload_after=25,
        max_dose=2,
        wider_gains=0,
        outcomes=(outcome,),
    )


@pytest.fixture
def exit_case() -> Scenario:
    """A small exits scenario, worked out by hand in test_model.py."""
    prices = (
        Price("Ydelse", "Benefit", 100_000, kommune=0.8, stat=0.2),
        Price("Gevinst", "Gain", 50_000, kind="wider", kommune=0.0),
    )
    outcome = Outcome(
        "benefit",
        "Ydelse",
        "Benefit",
        kind="exit",
        base_rate=0.2,
        effect=1.0,
        deadweight=0.0,
        duration_years=2,
        other_benefit_share=0.5,
        prices=prices,
    )
    return Scenario(
        cases=100,
        caseload_before=40,
        caseload_after=20,
        worker_cost=400_000,
        overhead=0.0,
        start_year=2020,
        horizon_years=3,
        discount_rate=0.0,
        staffing_ramp=1,
        programme_years=2,
        reference_caseload_before=40,
        reference_caseload_after=20,
        outcomes=(outcome,),
    )


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    """Playwright drives Debian's Chromium (browser tests, the deployment and container tests)."""
    path = chromium_path()
    if path is None:
        pytest.fail(
            "Debian's chromium is missing: run 'make test' as root (it installs it) or "
            "'apt-get install chromium'",
            pytrace=False,
        )
    return {**browser_type_launch_args, "executable_path": path, "args": CHROMIUM_ARGS}
