"""Every place a quote stands in one text, found once per quote, as runs of evenly spaced places.

The coverage rule asks where each claim's quote stands, every place of it (a claim states its
value wherever its words are); a quote that repeats with the text ("1 1" in "1 1 1 ... 1") is one
run, not a place each."""

from __future__ import annotations

from bisect import bisect_right
from collections import defaultdict

# Places of a quote in a text: the first, the step to the next and how many; a lone place is (at, 1, 1).
Run = tuple[int, int, int]


class QuotePlaces:
    """The places of quotes in one text, each quote's found once (its claims of other value texts
    ask again), as runs.

    A quote that stands again `step` characters on stands at every step of the stretch of text
    that repeats with that period from its place: "1 1" stands 100,000 times in "1 1 1 ... 1",
    one run. Were there another place inside the stretch off the steps, the quote would stand that
    far after its first place too, before the place found next. So a run costs two searches and
    the stretch's comparison (in C; each stretch compared once for all the quotes in it, as in a
    seed that holds its article twice), not a search and a Python tuple per place: a hundred
    quotes standing 200,000 times each in one seed took 34 s and 3.5 GB."""

    def __init__(self, text: str) -> None:
        self.text = text
        self._found: dict[str, list[Run]] = {}
        # Of each period, the stretches known to repeat with it: their starts, and their ends
        # (where the repetition stops), in order of start.
        self._stretches: dict[int, tuple[list[int], list[int]]] = defaultdict(lambda: ([], []))

    def runs(self, quote: str) -> list[Run]:
        """Every place `quote` (not empty) stands in the text, overlapping places included."""
        found = self._found.get(quote)
        if found is None:
            found = self._found[quote] = self._search(quote)
        return found

    def _search(self, quote: str) -> list[Run]:
        text, n = self.text, len(quote)
        runs: list[Run] = []
        at = text.find(quote)
        while at >= 0:
            again = text.find(quote, at + 1)
            if again < 0:
                runs.append((at, 1, 1))
                break
            step = again - at
            reach = self._reach(at, step, again + n)
            count = (reach - n - at) // step + 1
            runs.append((at, step, count))
            at = text.find(quote, at + (count - 1) * step + 1)
        return runs

    def _reach(self, at: int, step: int, known: int) -> int:
        """Where the stretch that repeats with period `step` from `at` ends: text[i] ==
        text[i + step] for every i from `at` to it less `step`, known up to `known` less `step`.
        A stretch met that is known already is not compared again."""
        starts, ends = self._stretches[step]
        i = bisect_right(starts, at)
        if i and ends[i - 1] >= known:
            return ends[i - 1]
        upto = starts[i] if i < len(starts) else len(self.text) - step
        alike = _alike(self.text, known - step, known, upto - (known - step))
        reach = known + alike
        if i < len(starts) and known - step + alike >= upto:
            # Alike up to the next stretch known: they are one, ending where it ends.
            reach = ends[i]
            starts[i] = at
        else:
            starts.insert(i, at)
            ends.insert(i, reach)
        return reach


def _alike(text: str, a: int, b: int, most: int) -> int:
    """How many characters (up to `most`) text[a:] and text[b:] (a < b) have alike from their
    starts: compared in blocks of doubling size, then the differing block halved, so the cost is
    linear in the answer (a character by character loop in Python would be a hundred times slower)."""
    most = min(most, len(text) - b)
    k, size = 0, 32
    while k < most:
        size = min(size, most - k)
        if text[a + k : a + k + size] != text[b + k : b + k + size]:
            lo, hi = k, k + size  # alike up to lo; the first difference is before hi
            while hi - lo > 1:
                mid = (lo + hi) // 2
                if text[a + lo : a + mid] == text[b + lo : b + mid]:
                    lo = mid
                else:
                    hi = mid
            return lo
        k += size
        size *= 2
    return max(most, 0)
