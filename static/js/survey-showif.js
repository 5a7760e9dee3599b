// Hides a survey's conditional questions live and keeps the question numbers continuous
// (templates/surveys/_questionnaire.html, showif_script).
(function () {
  var form = document.querySelector('.sq-form');
  if (!form) return;
  function value(key) {
    var box = document.querySelector('.sq-q[data-key="' + key + '"]');
    if (!box || box.hidden) return null;
    var out = [];
    box.querySelectorAll('input[name="q_' + key + '"]:checked').forEach(function (i) { out.push(i.value); });
    return out;
  }
  function update() {
    form.querySelectorAll('.sq-q[data-show-if]').forEach(function (box) {
      var got = value(box.dataset.showIf), show = false;
      if (got && got.length) {
        if (box.dataset.showType === 'equals') {
          var want = box.dataset.showEquals.split(' ');
          show = got.some(function (v) { return want.indexOf(v) >= 0; });
        } else {
          var n = parseInt(got[0], 10), lo = box.dataset.showMin, hi = box.dataset.showMax;
          show = (lo === '' || n >= parseInt(lo, 10)) && (hi === '' || n <= parseInt(hi, 10));
        }
      }
      box.hidden = !show;
    });
    renumber();
  }
  // Question numbers stay continuous: a hidden question takes no number, and each condition's
  // note names its question by the number it now shows.
  function renumber() {
    var numbers = {}, n = 0;
    form.querySelectorAll('.sq-q').forEach(function (box) {
      if (box.hidden) return;
      n += 1;
      numbers[box.dataset.key] = n;
      box.querySelectorAll('.sq-num').forEach(function (num) {
        if (num.closest('.sq-q') === box) num.textContent = n + '.';
      });
    });
    form.querySelectorAll('.sq-ref[data-ref]').forEach(function (ref) {
      if (numbers[ref.dataset.ref]) ref.textContent = numbers[ref.dataset.ref];
    });
  }
  form.addEventListener('change', update);
  update();
})();
