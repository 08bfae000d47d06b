/*
 * rd_site_assets.c -- the two files every site has besides its pages:
 * the style sheet and the filter script of the front page.
 *
 * Owns: the look (readable on a phone: one column, no fixed widths that
 * overflow; colours with enough contrast for text), the filter box.
 * Never: loads anything from outside the site.
 */
#include "rd-int.h"

const char rd_site_css[] =
    "html{font-family:system-ui,-apple-system,'Segoe UI',Roboto,sans-serif;"
    "line-height:1.5;color:#1f2328;background:#fff}\n"
    "body{margin:0 auto;max-width:60rem;padding:0 1rem}\n"
    "main{overflow-wrap:anywhere}\n"
    "header nav{display:flex;flex-wrap:wrap;gap:1rem;align-items:center;"
    "padding:.75rem 0;border-bottom:1px solid #d0d7de}\n"
    "header form{margin-left:auto}\n"
    "a{color:#0550ae}\n"
    "h1{font-size:1.6rem;line-height:1.25}\n"
    "h2{font-size:1.25rem;margin-top:2rem;border-bottom:1px solid #d0d7de}\n"
    "table{border-collapse:collapse;width:100%;display:block;overflow-x:auto}\n"
    "th,td{text-align:left;padding:.25rem .5rem;border-bottom:1px solid "
    "#eaeef2;vertical-align:top}\n"
    "td.n{text-align:right;font-variant-numeric:tabular-nums}\n"
    ".badge{display:inline-block;padding:0 .45rem;border-radius:.75rem;"
    "font-size:.85rem;white-space:nowrap;color:#fff}\n"
    ".v-done{background:#1a7f37;fill:#1a7f37}\n"
    ".v-in_progress{background:#9a6700;fill:#bf8700}\n"
    ".v-none{background:#57606a;fill:#8c959f}\n"
    ".v-not_checkable{background:#eaeef2;color:#1f2328;fill:#eaeef2}\n"
    ".v-empty{fill:#f6f8fa}\n"
    ".badge.corrected{background:#8250df}\n"
    ".correction{border-left:4px solid #8250df;padding-left:.5rem}\n"
    "ol.commitments>li{margin-bottom:1.25rem}\n"
    "ul.citations{padding-left:1rem}\n"
    "li.citation,li.related{margin:.35rem 0}\n"
    "li.related{color:#57606a}\n"
    "blockquote{margin:.25rem 0 .25rem 1rem;color:#424a53;font-style:italic}\n"
    ".stage{font-size:.85rem;border:1px solid #d0d7de;border-radius:.3rem;"
    "padding:0 .3rem}\n"
    ".why{font-size:.85rem;color:#57606a}\n"
    "svg{max-width:100%;height:auto}\n"
    "svg.timeline text{font-size:9px;fill:#57606a}\n"
    ".axis{stroke:#8c959f}\n"
    ".s-enacted{fill:#0a3069}.s-final{fill:#0550ae}.s-approved{fill:#218bff}"
    ".s-draft{fill:#80ccff}.s-advice{fill:#c297ff}.s-noted{fill:#d0d7de}"
    ".s-refused{fill:#cf222e}.s-unknown{fill:#eaeef2}\n"
    ".legend{list-style:none;padding:0;display:flex;flex-wrap:wrap;gap:.75rem;"
    "font-size:.85rem}\n"
    ".swatch rect{stroke:#8c959f}\n"
    ".section-text,.decision-text{white-space:pre-line}\n"
    "pre{overflow-x:auto;background:#f6f8fa;padding:.5rem;font-size:.8rem}\n"
    "footer{margin:3rem 0 1rem;padding-top:.5rem;border-top:1px solid #d0d7de;"
    "font-size:.85rem;color:#57606a}\n"
    "dl.facts dt{font-weight:600}dl.facts dd{margin:0 0 .4rem 0}\n"
    "#filter{font-size:1rem;padding:.25rem;max-width:100%}\n"
    "@media (max-width:40rem){body{padding:0 .5rem}h1{font-size:1.3rem}}\n";

/* Filters the rows of #sections by the words typed, over the section
 * data: sections.json's content, read from the rows themselves so that
 * it works from file:// too (no fetch). */
const char rd_site_js[] =
    "// akkoord: the filter box of the front page (the page works without).\n"
    "(function () {\n"
    "  'use strict';\n"
    "  var box = document.getElementById('filter');\n"
    "  var shown = document.getElementById('shown');\n"
    "  var table = document.getElementById('sections');\n"
    "  if (!box || !table) return;\n"
    "  var rows = Array.prototype.slice.call(table.tBodies[0].rows);\n"
    "  var text = rows.map(function (r) {\n"
    "    return (r.getAttribute('data-id') + ' ' + r.textContent).toLowerCase();\n"
    "  });\n"
    "  function apply() {\n"
    "    var words = box.value.toLowerCase().split(/\\s+/).filter(Boolean);\n"
    "    var n = 0;\n"
    "    rows.forEach(function (r, i) {\n"
    "      var ok = words.every(function (w) { return text[i].indexOf(w) >= 0; });\n"
    "      r.hidden = !ok;\n"
    "      if (ok) n++;\n"
    "    });\n"
    "    if (shown) shown.textContent = n + ' van ' + rows.length + ' secties';\n"
    "  }\n"
    "  box.addEventListener('input', apply);\n"
    "  apply();\n"
    "})();\n";
