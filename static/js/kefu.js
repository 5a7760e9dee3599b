// htmx swaps 2xx and 422 answers; a 403, 404 or expired form would otherwise fail silently.
document.addEventListener("htmx:responseError", function () {
  var box = document.getElementById("kefu-htmx-error");
  if (box) { box.hidden = false; box.scrollIntoView({ block: "nearest" }); }
});
document.addEventListener("htmx:beforeRequest", function () {
  var box = document.getElementById("kefu-htmx-error");
  if (box) { box.hidden = true; }
});
