// Typesets the TeX the page left in paper titles and abstracts, with the KaTeX the site serves itself.
document.addEventListener("DOMContentLoaded", function () {
  document.querySelectorAll(".paper h2, .paper .abs summary").forEach(function (element) {
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
