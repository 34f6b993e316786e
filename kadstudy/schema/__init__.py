"""One schema layer for every file a user writes, below the pipeline and ``reproduce``.

* :func:`read_yaml`: the one safe YAML reader (UTF-8 checked, duplicate keys refused, a mapping);
* :mod:`~kadstudy.schema.fields`: shared field types (pydantic v2), e.g. ``InclCut``, ``SetNames``;
* models of analysis specs (:mod:`.analysis`, each kind adds its keys), replication specs
  (:mod:`.replication`), the survey instrument (:mod:`.instrument`), add-case files
  (:mod:`.addcase`) and the codebook (:mod:`.codebook`);
* :func:`validate`: a model validated, pydantic's errors turned into one line each;
* :mod:`~kadstudy.schema.paths`: paths a spec names stay inside the project or a named data root.
"""

from kadstudy.schema.errors import validate
from kadstudy.schema.yamlio import read_yaml

__all__ = ["read_yaml", "validate"]
