// The unit page: a file dropped on the box, or chosen, is sent at once. Without
// JavaScript the form's own button sends it.
(function () {
  var form = document.getElementById("gui");
  if (!form) return;
  var input = document.getElementById("tep");
  function send() {
    if (!input.files || input.files.length === 0) return;
    form.querySelector(".busy").hidden = false;
    form.classList.add("sending");
    form.submit();
  }
  input.addEventListener("change", send);
  ["dragenter", "dragover"].forEach(function (t) {
    form.addEventListener(t, function (e) { e.preventDefault(); form.classList.add("over"); });
  });
  ["dragleave", "drop"].forEach(function (t) {
    form.addEventListener(t, function (e) { e.preventDefault(); form.classList.remove("over"); });
  });
  form.addEventListener("drop", function (e) {
    if (e.dataTransfer && e.dataTransfer.files.length > 0) {
      input.files = e.dataTransfer.files;
      send();
    }
  });
})();
