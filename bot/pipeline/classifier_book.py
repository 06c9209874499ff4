"""One classifier per community that has learnt from that community's moderator corrections."""

from __future__ import annotations

from dataclasses import dataclass, field
from threading import Lock

from sqlmodel import Session

from bot.domain import Kind
from bot.judgement.classify import Classifier
from storage import queries


@dataclass
class ClassifierBook:
    """Classifiers by community, rebuilt when another process has stored a new correction."""

    _cache: dict[int, tuple[int, Classifier]] = field(default_factory=dict)
    _lock: Lock = field(default_factory=Lock)

    def classifier_for(self, *, session: Session, community_id: int) -> Classifier:
        """The community's classifier, up to date with every stored correction."""
        count = queries.count_corrections(session=session, community_id=community_id)
        with self._lock:
            cached = self._cache.get(community_id)
            if cached is not None and cached[0] == count:
                return cached[1]
        corrections = queries.corrections_of(session=session, community_id=community_id)
        classifier = Classifier((text, Kind(kind)) for text, kind in corrections)
        with self._lock:
            self._cache[community_id] = (len(corrections), classifier)
        return classifier
