// search.html: runs the query of ?q= on the site's Pagefind index (pagefind/, built by the index
// step, hotpapers.search) in the reader's browser, and lists each paper found with its score,
// day and page.
// Only this page loads it; Pagefind fetches only the index chunks and records a query needs.
const PAGE = 20;
const status = document.getElementById("search-status");
const list = document.getElementById("search-results");
const query = (new URLSearchParams(location.search).get("q") || "").trim();

function day(iso) {
  const [year, month, date] = iso.split("-").map(Number);
  // As every page writes a day: "June 2, 2026".
  return new Date(Date.UTC(year, month - 1, date)).toLocaleDateString("en-US", {
    day: "numeric", month: "long", year: "numeric", timeZone: "UTC",
  });
}

function item(found) {
  // Text only, never markup: titles come from upstream.
  const li = document.createElement("li");
  const title = document.createElement("a");
  title.href = found.meta.page;
  title.textContent = found.meta.title;
  const about = document.createElement("p");
  about.className = "meta";
  const listed = document.createElement("a");
  listed.href = `digests/${found.meta.day}.html`;
  listed.textContent = day(found.meta.day);
  about.append(`Score ${found.meta.score} · listed on `, listed);
  li.append(title, about);
  return li;
}

async function run() {
  document.getElementById("site-search").value = query;
  if (!query) return;
  status.textContent = `Searching for “${query}”…`;
  // The index comes in bundles (the recent days, then two years each), merged here.
  const index = new URL("../pagefind/", import.meta.url);
  const { bundles } = await (await fetch(new URL("bundles.json", index))).json();
  const pagefind = await import(new URL(`${bundles[0]}/pagefind.js`, index).href);
  await Promise.all(bundles.slice(1).map((bundle) => pagefind.mergeIndex(new URL(`${bundle}/`, index).href)));
  const search = await pagefind.search(query);
  const shown = await Promise.all(search.results.slice(0, PAGE).map((result) => result.data()));
  list.replaceChildren(...shown.map(item));
  const more = search.results.length > PAGE ? `, the first ${PAGE} shown` : "";
  status.textContent = search.results.length
    ? `${search.results.length} paper${search.results.length === 1 ? "" : "s"} found for “${query}”${more}.`
    : `No listed paper matches “${query}”.`;
}

run().catch(() => {
  status.textContent = "Search is not available at the moment; the archive lists every day.";
});
