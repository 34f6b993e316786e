"""Former name of :mod:`kadstudy.models.plot`, kept so old imports keep working."""

from kadstudy.models.plot import (  # noqa: F401
    COLORS,
    dendrogram,
    forest,
    forest_plot,
    km_curves,
    km_plot,
    silhouette_by_k,
    silhouette_plot,
)
