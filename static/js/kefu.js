// htmx swaps 2xx and 422 answers; a 403, 404 or expired form would otherwise fail silently.
document.addEventListener("htmx:responseError", function () {
  var box = document.getElementById("kefu-htmx-error");
  if (box) { box.hidden = false; box.scrollIntoView({ block: "nearest" }); }
});
document.addEventListener("htmx:beforeRequest", function () {
  var box = document.getElementById("kefu-htmx-error");
  if (box) { box.hidden = true; }
});

// The Content-Security-Policy allows no inline script: what templates did inline lives here.
// A select marked data-autosubmit (the tenant switcher) submits its form when changed.
document.addEventListener("change", function (e) {
  var el = e.target;
  if (el && el.matches && el.matches("select[data-autosubmit]") && el.form) { el.form.submit(); }
});
// "/" jumps to the worklist's search box: the caller's number is one keystroke away.
document.addEventListener("keydown", function (e) {
  var box = document.querySelector("#worklist-filters input[name=q]");
  var t = e.target.tagName;
  if (box && e.key === "/" && t !== "INPUT" && t !== "TEXTAREA" && t !== "SELECT" && !e.target.isContentEditable) {
    e.preventDefault();
    box.focus();
  }
});
// A 422 carries the form again with its errors: swap it in, and it is not an error to report.
document.addEventListener("htmx:beforeSwap", function (e) {
  if (e.detail.xhr && e.detail.xhr.status === 422) { e.detail.shouldSwap = true; e.detail.isError = false; }
});
// A link to copy (an invitation's) is selected whole when clicked.
document.addEventListener("click", function (e) {
  var el = e.target;
  if (el && el.matches && el.matches("input[data-select-on-click]")) { el.select(); }
});
