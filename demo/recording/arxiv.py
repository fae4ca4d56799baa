"""arXiv: the real listing of 2026-06-02 re-encoded as the API's Atom answer (or a slice of it, re-dated)."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path
from xml.sax.saxutils import escape, quoteattr

from recording.common import Day


def load_papers(real: Path) -> list[dict]:
    papers: dict[str, dict] = {}
    for line in (real / "daily_arxiv_dump_2026-06-02.jsonl").read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        papers.setdefault(row["id"], row)
    return sorted(papers.values(), key=lambda row: row["id"])


def atom(papers: list[dict], day: Day) -> str:
    # The listing dump has no timestamps: the window's last minute stands in for them.
    stamp = (day.announced - timedelta(hours=6, minutes=1)).strftime("%Y-%m-%dT%H:%M:%SZ")
    last = (day.announced - timedelta(hours=6, minutes=1)).strftime("%Y%m%d%H%M")
    query = f"submittedDate:[{day.window_start:%Y%m%d%H%M} TO {last}] AND (cat:cs.* OR cat:stat.ML)"
    head = f"""<?xml version='1.0' encoding='UTF-8'?>
<feed xmlns:opensearch="http://a9.com/-/spec/opensearch/1.1/" xmlns:arxiv="http://arxiv.org/schemas/atom" xmlns="http://www.w3.org/2005/Atom">
  <id>https://arxiv.org/api/hotpapers-demo-{day.date}</id>
  <title>arXiv Query: search_query={escape(query)}&amp;id_list=&amp;start=0&amp;max_results=2000</title>
  <updated>{day.date}T00:00:00Z</updated>
  <opensearch:itemsPerPage>2000</opensearch:itemsPerPage>
  <opensearch:totalResults>{len(papers)}</opensearch:totalResults>
  <opensearch:startIndex>0</opensearch:startIndex>
"""
    entries = []
    for paper in papers:
        lines = [
            "  <entry>",
            f"    <id>http://arxiv.org/abs/{paper['id']}v1</id>",
            f"    <title>{escape(paper['title'])}</title>",
            f"    <updated>{stamp}</updated>",
            f'    <link href="https://arxiv.org/abs/{paper["id"]}v1" rel="alternate" type="text/html"/>',
            f'    <link href="https://arxiv.org/pdf/{paper["id"]}v1" rel="related" '
            'type="application/pdf" title="pdf"/>',
            f"    <summary>{escape(paper['summary'])}</summary>",
            *(
                f'    <category term={quoteattr(c)} scheme="http://arxiv.org/schemas/atom"/>'
                for c in paper["categories"]
            ),
            f"    <published>{stamp}</published>",
            *([f"    <arxiv:comment>{escape(paper['comment'])}</arxiv:comment>"] if paper.get("comment") else []),
            f"    <arxiv:primary_category term={quoteattr(paper['categories'][0])}/>",
            *(f"    <author>\n      <name>{escape(name)}</name>\n    </author>" for name in paper["authors"]),
            "  </entry>",
        ]
        entries.append("\n".join(lines))
    return head + "\n".join(entries) + "\n</feed>\n"
