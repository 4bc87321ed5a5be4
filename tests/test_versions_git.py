"""Git access on real temporary repositories: objects at revisions, paths, history, errors."""

from __future__ import annotations

from pathlib import Path

import pytest
from git_helpers import GitRepo

from generator.errors import GitError
from generator.versions.git import Repo, find_repo, revision


@pytest.fixture
def repo(tmp_path: Path) -> GitRepo:
    r = GitRepo(tmp_path / "work")
    r.write("scenarios/watch.yaml", "v1.yaml")
    r.commit("First draft")
    r.git("tag", "v1")
    r.write("scenarios/watch.yaml", "v2.yaml")
    r.commit("New reading")
    return r


def test_reads_a_file_at_a_revision_without_touching_the_tree(repo: GitRepo) -> None:
    with Repo(repo.root) as git:
        old = git.read("v1", "scenarios/watch.yaml")
        new = git.read("HEAD", "scenarios/watch.yaml")
    assert old == (Path(__file__).parent / "versions" / "v1.yaml").read_bytes()
    assert new == (repo.root / "scenarios" / "watch.yaml").read_bytes()
    assert repo.git("status", "--porcelain") == ""


def test_rev_path_is_relative_to_the_current_folder(repo: GitRepo) -> None:
    with Repo(repo.root / "scenarios") as git:
        data, short, rel = git.read_spec("v1:watch.yaml")
    assert rel == "scenarios/watch.yaml"
    assert short == repo.git("rev-parse", "--short=7", "v1")
    assert data.startswith(b"# Version 0.4")


def test_unknown_revision_is_one_clear_error(repo: GitRepo) -> None:
    with Repo(repo.root) as git, pytest.raises(GitError) as err:
        git.read_spec("v9:scenarios/watch.yaml")
    assert str(err.value) == "error: unknown revision 'v9'"


def test_path_missing_at_a_revision_is_one_clear_error(repo: GitRepo) -> None:
    short = repo.git("rev-parse", "--short=7", "v1")
    with Repo(repo.root) as git, pytest.raises(GitError) as err:
        git.read_spec("v1:scenarios/other.yaml")
    assert str(err.value) == f"error: scenarios/other.yaml does not exist at v1 ({short})"


def test_outside_a_repository(tmp_path: Path) -> None:
    (tmp_path / "alone").mkdir()
    with pytest.raises(GitError) as err:
        Repo(tmp_path / "alone")
    assert str(err.value) == f"error: not in a git repository: {(tmp_path / 'alone').resolve()}"
    assert find_repo(tmp_path / "alone") is None
    assert revision(tmp_path / "alone" / "x.yaml") == ""


def test_lists_scenario_files_at_a_revision(repo: GitRepo) -> None:
    repo.write(".pre-commit-hooks.yaml", "- id: x\n")
    repo.write("scenarios/notes.txt", "not yaml\n")
    repo.commit("More files")
    with Repo(repo.root) as git:
        assert list(git.files("HEAD", [""])) == ["scenarios/watch.yaml"]
        assert git.files("v1", ["scenarios"]).keys() == {"scenarios/watch.yaml"}


def test_history_follows_a_rename(repo: GitRepo) -> None:
    repo.git("mv", "scenarios/watch.yaml", "scenarios/capability-watch.yaml")
    repo.commit("Rename")
    with Repo(repo.root) as git:
        history = git.history("scenarios/capability-watch.yaml")
    assert [c.subject for c in history] == ["Rename", "New reading", "First draft"]
    assert [c.path for c in history] == [
        "scenarios/capability-watch.yaml",
        "scenarios/watch.yaml",
        "scenarios/watch.yaml",
    ]
    assert history[0].time > history[1].time


def test_revision_stamp_marks_a_dirty_file(repo: GitRepo) -> None:
    path = repo.root / "scenarios" / "watch.yaml"
    head = repo.git("rev-parse", "--short", "HEAD")
    assert revision(path) == f"rev {head}"
    path.write_text(path.read_text() + "\n# edited\n")
    assert revision(path) == f"rev {head}, uncommitted changes"


def test_shallow_clone_reads_its_one_commit(repo: GitRepo, tmp_path: Path) -> None:
    clone = tmp_path / "clone"
    GitRepo.clone_shallow(repo.root, clone)
    with Repo(clone) as git:
        assert git.read("HEAD", "scenarios/watch.yaml") is not None
        assert len(git.history("scenarios/watch.yaml")) == 1
        with pytest.raises(GitError, match="unknown revision 'HEAD~1'"):
            git.commit("HEAD~1")
