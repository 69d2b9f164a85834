"""What an import, an export, a sync or a round of tracking did, in one sentence each: the window
and the command line say it in the same words (and the catalogs hold each sentence once)."""

from __future__ import annotations

from .i18n import _, ngettext


def import_sentences(added: int, already_present: int) -> list[str]:
    """How many counts an import added and, if any, how many it skipped as already stored."""
    said = [
        ngettext("Imported {count} page count.", "Imported {count} page counts.", added).format(
            count=added
        )
    ]
    if already_present:
        said.append(
            ngettext(
                "{count} was already stored and was skipped.",
                "{count} were already stored and were skipped.",
                already_present,
            ).format(count=already_present)
        )
    return said


def exported_text(count: int) -> str:
    """The window's export of the page counts."""
    return ngettext("Exported {count} page count.", "Exported {count} page counts.", count).format(
        count=count
    )


def wrote_counts_text(count: int, path: object) -> str:
    """The command line's export of the page counts to a file."""
    return ngettext(
        "Wrote {count} page count to {path}.", "Wrote {count} page counts to {path}.", count
    ).format(count=count, path=path)


def wrote_days_text(count: int, path: object) -> str:
    """The command line's export of the action days to a calendar file."""
    return ngettext(
        "Wrote {count} action day to {path}.", "Wrote {count} action days to {path}.", count
    ).format(count=count, path=path)


def wrote_picture_text(size: tuple[int, int], path: object) -> str:
    """The command line's picture of the graph, saved to a file."""
    return _("Wrote a picture of {width} × {height} pixels to {path}.").format(
        width=size[0], height=size[1], path=path
    )


def merged_text(counts: int) -> str:
    """What a sync brought: counts new or corrected by the feed."""
    return ngettext(
        "{n} page count added or corrected.", "{n} page counts added or corrected.", counts
    ).format(n=counts)


def recorded_text(added: int) -> str:
    """What a round of tracking recorded."""
    return ngettext("{n} new count recorded.", "{n} new counts recorded.", added).format(n=added)
