// After a refused submit, put the keyboard focus on the first problem so it is seen and announced.
document.addEventListener("DOMContentLoaded", function () {
  var target = document.querySelector(".form-errors, .field-invalid input, .field-invalid select, .field-invalid textarea");
  if (!target) return;
  if (target.classList.contains("form-errors")) target.setAttribute("tabindex", "-1");
  target.focus();
});
