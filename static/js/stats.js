// Statistics filter bar: a date typed by hand makes the period "custom"; a preset fills its own dates.
document.addEventListener("DOMContentLoaded", () => {
  const form = document.querySelector("[data-stats-filter]");
  if (!form) return;
  const period = form.querySelector("select[name=period]");
  const dates = form.querySelectorAll("input[type=date]");
  if (!period) return;
  dates.forEach((input) => {
    input.addEventListener("change", () => {
      period.value = "custom";
    });
  });
  period.addEventListener("change", () => {
    if (period.value !== "custom") {
      dates.forEach((input) => {
        input.value = "";
      });
      form.requestSubmit();
    }
  });
});
