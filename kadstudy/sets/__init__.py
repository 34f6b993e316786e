"""Set-theoretic methods (QCA): calibration (direct and indirect), truth tables, Boolean
minimisation, necessity, and the search for superset/subset relations (``super_subset``).

The numbers and solutions follow the R package QCA (Dusa, 3.25)::

    from kadstudy.sets import truth_table, minimize
    tt = truth_table(df, "SURV", incl_cut=0.8)
    sol = minimize(tt, solution="parsimonious")
    print(sol.summary())
"""

from kadstudy.sets.calibrate import calibrate, calibrate_indirect
from kadstudy.sets.diagnostics import (
    CaseTypes,
    ClusterDiagnostics,
    ClusterResult,
    case_types,
    cluster,
    cluster_diagnostics,
)
from kadstudy.sets.errors import QCAInputError, QCALimitError, QCAWarning
from kadstudy.sets.esa import esa, find_rows
from kadstudy.sets.exclude import exclude_rows
from kadstudy.sets.expr import Expression, Literal, parse_expr
from kadstudy.sets.measures import (
    evaluate,
    inclusion,
    necessity_measures,
    sufficiency_measures,
    unique_coverage,
)
from kadstudy.sets.necessity import NecessityResult, necessity
from kadstudy.sets.robustness import (
    Calibration,
    RobustnessResult,
    SensitivityRange,
    SensitivityResult,
    Specification,
    SpecResult,
    robustness_test,
    sensitivity,
    set_memberships,
    solve_many,
)
from kadstudy.sets.skew import SkewResult, skewness
from kadstudy.sets.solutions import Model, Solution, TermFit, minimize, parse_dir_exp
from kadstudy.sets.supersubset import SuperSubsetResult, super_subset
from kadstudy.sets.theory import TheoryEvaluation, theory_evaluation
from kadstudy.sets.truthtable import TruthTable, truth_table

__all__ = [
    "Calibration",
    "CaseTypes",
    "ClusterDiagnostics",
    "ClusterResult",
    "Expression",
    "Literal",
    "Model",
    "NecessityResult",
    "QCAInputError",
    "QCALimitError",
    "QCAWarning",
    "RobustnessResult",
    "SensitivityRange",
    "SensitivityResult",
    "SkewResult",
    "Solution",
    "SpecResult",
    "Specification",
    "SuperSubsetResult",
    "TermFit",
    "TheoryEvaluation",
    "TruthTable",
    "calibrate",
    "calibrate_indirect",
    "case_types",
    "cluster",
    "cluster_diagnostics",
    "esa",
    "evaluate",
    "exclude_rows",
    "find_rows",
    "inclusion",
    "minimize",
    "necessity",
    "necessity_measures",
    "parse_dir_exp",
    "parse_expr",
    "robustness_test",
    "sensitivity",
    "set_memberships",
    "skewness",
    "solve_many",
    "sufficiency_measures",
    "super_subset",
    "theory_evaluation",
    "truth_table",
    "unique_coverage",
]
