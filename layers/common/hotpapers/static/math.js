// Typesets the TeX the page left in paper titles (cards, the index's top ten, ranked tables) and abstracts, with the KaTeX the site serves itself.
document.addEventListener("DOMContentLoaded", function () {
  document.querySelectorAll(".paper h2, .paper .abs, .top10 a, .ranked td > a:first-child").forEach(function (element) {
    renderMathInElement(element, {
      delimiters: [
        { left: "$$", right: "$$", display: true },
        { left: "\\[", right: "\\]", display: true },
        { left: "\\(", right: "\\)", display: false },
        { left: "$", right: "$", display: false }
      ],
      throwOnError: false
    });
  });
});
