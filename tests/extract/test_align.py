"""The aligners: names matched across spellings, facts compared, links proposed as one
undoable batch that never comes back once decided, and precision/recall measured
against hand-made alignments of three sets of articles."""

from __future__ import annotations

import importlib.util
import shutil
import sys
from pathlib import Path
from types import ModuleType

import pytest

from annotator.core.clusters import clusters
from annotator.core.history import History
from annotator.core.project import Project
from annotator.core.review import RelationKey, bulk, decide_relation
from annotator.core.suggestions import Alignment, Mention, alignment_batch
from annotator.extract import is_aligner, load
from annotator.extract.facts import compare, facts
from annotator.extract.names import acronym_aliases, find_names, fold, name_similarity
from annotator.io.load import open_project
from annotator.ops import suggesting
from tests.conftest import REPO, SEEDS

SAMPLE = REPO / "resources" / "sample"


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Alekseev", "Alekseyev"),
        ("Prigozhin", "Prigokhin"),
        ("Yevgeny Prigozhin", "Evgeniy Prigozhin"),
        ("Zelensky", "Zelenskyy"),
        ("Vladimir Alekseev", "Alekseyev’s"),  # a surname alone, possessive
        ("EU", "European Union"),
        ("Mohammed el-Sayed", "Muhammad El Sayed"),
        ("Karim Abdel-Aziz", "Karim Abdelaziz"),
        ("Zoë Albers", "Zoe Albers"),
    ],
)
def test_variant_spellings_are_one_name(a: str, b: str) -> None:
    assert name_similarity(a, b) >= 0.85
    assert name_similarity(b, a) == name_similarity(a, b)


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Vladimir Alekseev", "Vladimir Putin"),
        ("Sergei Lavrov", "Sergei Skripal"),
        ("Sergei Skripal", "Yulia Skripal"),
        ("European", "European Union"),  # an adjective is not the organisation
        ("US", "Us"),
        ("Igor Kostyukov", "Igor Kirillov"),
    ],
)
def test_different_names_stay_apart(a: str, b: str) -> None:
    assert name_similarity(a, b) < 0.85


def test_names_are_found_without_titles_possessives_or_sentence_starts() -> None:
    text = (
        "Lieutenant General Vladimir Alekseev was shot. Rescuers said Alekseev’s car was hit. "
        "Transport Minister Karim Abdel-Aziz spoke. The captain, Mohammed el-Sayed, left."
    )
    names = [n.text for n in find_names(text)]
    assert names == ["Vladimir Alekseev", "Alekseev", "Karim Abdel-Aziz", "Mohammed el-Sayed"]
    assert fold("Zoë ALEKSEYEV’s") == "zoe alexev"


def test_an_acronym_written_out_is_an_alias() -> None:
    text = "He is deputy head of Russian military intelligence (GRU), officials said."
    alias = acronym_aliases(text)["GRU"]
    assert text[alias.start : alias.end] == "Russian military intelligence"


@pytest.mark.parametrize(
    ("a", "b", "kind", "note"),
    [
        ("Alekseyev, 65, was born in Ukraine.", "Alekseev, 64, is a target.", "c", "age: 65 / 64"),
        ("He was shot six times.", "It shot him at least three times.", "d", None),
        ("The uprising in June 2013 failed.", "In 2023 it failed.", "c", "year: 2013 / 2023"),
        ("A fourth attack.", "An eighth attack.", "d", "attack: fourth attack / eighth attack"),
        ("Mayor said 140 homes were hit.", "About 40 households were hit.", "c", None),
        ("The water rose 2.4 metres.", "It rose about three metres.", "d", None),
        ("Between 2019 and 2020 it added him.", "Under sanctions since 2019.", "=", None),
        ("Licensed for 150 people, it took over 200.", "It had over 200 people.", "=", None),
        ("It sank on March 3.", "It sank on 4 March.", "c", "date: March 3 / 4 March"),
        ("Shot in Volokolamsk.", "Shot outside Moscow.", "d", "place: Volokolamsk / Moscow"),
        # neither is a place standing alone: nothing to compare
        ("Talks in the Abu Dhabi hotel.", "Talks in Russia’s capital.", "0", None),
    ],
)
def test_facts_agree_differ_or_contradict(a: str, b: str, kind: str, note: str | None) -> None:
    agree, diffs = compare(facts(a), facts(b))
    if kind == "0":
        assert (agree, diffs) == (0, [])
        return
    if kind == "=":
        assert agree >= 1 and not diffs
        return
    (diff,) = diffs
    assert diff.contradicts is (kind == "c")
    if note is not None:
        assert diff.describe() == note


def test_numbers_written_as_words_and_hedges() -> None:
    [six] = facts("The general was shot six times.")
    [three] = facts("They shot him at least three times.")
    [fifteen] = facts("Fifteen people died.")
    assert (six.low, six.high, six.unit) == (6, 6, "time")
    assert three.low == 3 and three.high == float("inf")
    assert fifteen.low == 15 and fifteen.unit == "people"


def _project(tmp_path: Path, folder: Path) -> Project:
    for f in folder.glob("*.txt"):
        shutil.copy(f, tmp_path / f.name)
    project, _ = open_project(tmp_path)
    return project


def _run(project: Project, name: str) -> suggesting.Suggested:
    aligner = load(name)
    found = suggesting.find(project, aligner, list(project.documents))
    return suggesting.suggestions(found, aligner, project)


def _text(project: Project, key: tuple[str, str]) -> str:
    span = project.span_of(key)
    assert span is not None
    return span.text


def test_entities_on_the_sample_corpus_become_one_cluster_when_accepted(tmp_path: Path) -> None:
    project = _project(tmp_path, SAMPLE)
    history = History(project)
    suggested = _run(project, "align-entities")
    history.execute(suggested.batch)
    keys = [RelationKey(r.id) for r in project.relations()]
    assert keys and all(r.status == "pending" and r.type == "same" for r in project.relations())
    history.execute(bulk(project, keys, "accepted", "accept all"))
    groups = [{_text(project, k) for k in c.members} for c in clusters(project)]
    assert {"Ilona Varga", "Ilona Warga", "Varga"} <= next(g for g in groups if "Varga" in g)
    kowalczyk = next(g for g in groups if "Tomas Kovalchik" in g)
    assert {"Tomasz Kowalczyk", "Kowalczyk"} <= kowalczyk
    # accepting the links accepted the suggested spans they end on, in the same step
    spans = [s for d in project.documents for s in d.spans()]
    assert spans and all(s.status == "accepted" for s in spans)
    history.undo()
    assert all(s.status == "pending" for d in project.documents for s in d.spans())


def test_an_aligner_never_proposes_a_link_twice_or_one_rejected(tmp_path: Path) -> None:
    project = _project(tmp_path, SAMPLE)
    history = History(project)
    history.execute(_run(project, "align-entities").batch)
    first = {r.id: r for r in project.relations()}
    rejected = next(iter(first.values()))
    history.execute(decide_relation(project, RelationKey(rejected.id), "rejected"))
    again = _run(project, "align-entities")
    assert again.batch.changes == ()
    assert again.skipped and "already there" in again.skipped_text()
    assert project.relation(rejected.id).status == "rejected"


def test_claims_note_what_differs_and_quotes_join(tmp_path: Path) -> None:
    project = _project(tmp_path, SAMPLE)
    History(project).execute(_run(project, "align-claims").batch)
    notes = {r.note for r in project.relations() if r.type != "same"}
    assert "home: 140 homes / about 40 households" in notes
    contradicts = [r for r in project.relations() if r.type == "contradicts"]
    assert contradicts and all(r.across for r in contradicts)
    History(project).execute(_run(project, "align-quotes").batch)
    quotes = [r for r in project.relations() if _text(project, r.source.key).count("street")]
    assert quotes, "the mayor's promise, worded three ways, is one quote"


def test_alignment_batch_lands_on_the_span_already_there(tmp_path: Path) -> None:
    project = _project(tmp_path, SAMPLE)
    a, b = (d for d in project.documents if d.id in ("bay-radio", "coastal-courier"))
    i, j = a.text.index("Varga"), b.text.index("Ilona Warga")
    alignment = Alignment(
        "same", Mention(a.id, i, i + 5, "entity"), Mention(b.id, j, j + 11, "entity"), 0.9
    )
    batch = alignment_batch([alignment, alignment], "test", project).batch
    History(project).execute(batch)
    assert len(project.relations()) == 1 and len(list(a.spans())) == 1
    low = alignment_batch([alignment], "test", project, min_score=0.95)
    assert low.batch.changes == ()


def test_aligners_are_listed_and_loaded_like_extractors() -> None:
    for name in ("align-entities", "align-quotes", "align-claims"):
        assert is_aligner(load(name, min_score=0.5))
    assert not is_aligner(load("quotes"))


def _eval_module() -> ModuleType:
    path = REPO / "benchmarks" / "align_eval.py"
    spec = importlib.util.spec_from_file_location("align_eval", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["align_eval"] = module
    spec.loader.exec_module(module)
    return module


# The lowest precision and recall each aligner must keep on every judged set (the
# figures themselves are in docs/extractors.md): a rule change that makes one worse
# fails here.
FLOORS = {"align-entities": (0.9, 0.8), "align-quotes": (0.9, 0.3), "align-claims": (0.6, 0.5)}


def test_precision_and_recall_on_the_judged_sets() -> None:
    module = _eval_module()
    scores = module.run(SEEDS)
    sets = {s.set for s in scores}
    assert {"sample", "ferry"} <= sets
    for s in scores:
        precision, recall = FLOORS[s.aligner]
        assert s.precision >= precision, s
        assert s.recall >= recall, s
    # the figures are counted, not assumed: no proposals, no precision to speak of
    assert all(s.gold > 0 and s.proposed > 0 for s in scores)


def test_precision_and_recall_on_the_seed_articles(seeds: dict[str, str]) -> None:
    module = _eval_module()
    scores = [s for s in module.run(SEEDS) if s.set == "seeds"]
    assert len(scores) == 3
    by_name = {s.aligner: s for s in scores}
    assert by_name["align-entities"].recall >= 0.9
    assert by_name["align-claims"].typed is not None and by_name["align-claims"].typed >= 5


from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

NASTY = st.text(
    alphabet=st.characters(blacklist_categories=("Cs",)), max_size=300
) | st.sampled_from(
    [
        'Zoë Varga, 64, said “ok”. Zoe\u0308 Varga, 65, said "ok".',
        "\u202eAlekseev\u202c (GRU) ٣ times; Alekseyev ۴ times",
        "A (ABCDEF) B (GRU) (EU) , 2023 2013 1e309 times, ½ homes",
        "Mr. \U0001d518nicode, 7, 𝔘nicode\r\n\r\n“”‘’«»",
    ]
)


@given(NASTY)
@settings(max_examples=150, deadline=None)
def test_names_and_facts_survive_any_text(text: str) -> None:
    for name in find_names(text):
        assert 0 <= name.start < name.end <= len(text)
        assert text[name.start : name.end] == name.text
    for found in acronym_aliases(text).values():
        assert text[found.start : found.end] == found.text
    facts(text)
    compare(facts(text), facts(text[::-1]))


# articles: no control characters (a NUL makes a file binary, not an article)
ARTICLE = NASTY.map(lambda t: "".join(c for c in t if c.isprintable() or c in "\n\t"))


@given(ARTICLE, ARTICLE)
@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
def test_aligners_on_any_text_propose_ranges_inside_the_documents(
    tmp_path_factory: pytest.TempPathFactory, a: str, b: str
) -> None:
    root = tmp_path_factory.mktemp("nasty")
    tail = "\n\n{}, {}, said on Monday: “we will all stay here”.\n"
    (root / "a.txt").write_text(a + tail.format("Alekseev", 64), encoding="utf-8")
    (root / "b.txt").write_text(b + tail.format("Alekseyev", 65), encoding="utf-8")
    project, _ = open_project(root)
    history = History(project)
    for name in ("align-entities", "align-quotes", "align-claims"):
        aligner = load(name)
        found = aligner.align(project, list(project.documents))  # type: ignore[attr-defined]
        for al in found:
            for m in (al.source, al.target):
                assert 0 <= m.start < m.end <= project.document(m.document).length
        history.execute(alignment_batch(found, name, project).batch)
    assert any(r.type == "contradicts" for r in project.relations())
