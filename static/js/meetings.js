// The timetable page: follow a scheduling run without reloading by hand, and move an appointment by
// dragging it onto a free cell. Without JavaScript the page refreshes itself (noscript meta) and each
// appointment's "Edit" page moves it with selects.
document.addEventListener("DOMContentLoaded", function () {
  var run = document.querySelector("[data-status-url][data-running]");
  if (run) {
    var poll = function () {
      fetch(run.getAttribute("data-status-url"), { credentials: "same-origin" })
        .then(function (response) { return response.json(); })
        .then(function (data) {
          var status = run.querySelector("[data-testid=run-status]");
          if (status && data.status_label) status.textContent = data.status_label;
          if (data.status === "done" || data.status === "failed") window.location.reload();
          else window.setTimeout(poll, 1500);
        })
        .catch(function () { window.setTimeout(poll, 3000); });
    };
    window.setTimeout(poll, 1000);
  }

  var form = document.getElementById("drop-form");
  if (!form) return;
  var dragged = null;
  document.querySelectorAll("[data-appointment]").forEach(function (card) {
    card.addEventListener("dragstart", function (event) {
      dragged = card;
      event.dataTransfer.setData("text/plain", card.getAttribute("data-appointment"));
    });
  });
  document.querySelectorAll("td[data-slot]").forEach(function (cell) {
    cell.addEventListener("dragover", function (event) {
      if (dragged && !cell.classList.contains("taken")) { event.preventDefault(); cell.classList.add("drop-target"); }
    });
    cell.addEventListener("dragleave", function () { cell.classList.remove("drop-target"); });
    cell.addEventListener("drop", function (event) {
      event.preventDefault();
      if (!dragged) return;
      form.action = dragged.getAttribute("data-drop-url");
      form.elements.slot.value = cell.getAttribute("data-slot");
      form.elements.room.value = cell.getAttribute("data-room");
      form.submit();
    });
  });
});
