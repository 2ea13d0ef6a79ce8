// The findings table: built from the JSON embedded once in the page, filtered and searched here.
// Account data only ever reaches the page through textContent, never as markup.
"use strict";
(() => {
  const PAGE_SIZE = 500;
  const byId = (id) => document.getElementById(id);
  const source = byId("findings-data");
  const app = byId("findings-app");
  if (!source || !app) {
    return;
  }
  const data = JSON.parse(source.textContent);
  const search = byId("filter-search");
  const passed = byId("filter-passed");
  const grouped = byId("filter-group");
  const selects = Array.from(app.querySelectorAll("select[data-filter]"));
  const body = byId("findings-body");
  const countLine = byId("findings-count");
  const moreButton = byId("findings-more");
  const expanded = new Set();
  const openGroups = new Set();
  let limit = PAGE_SIZE;

  // A FAIL or WARN is headed by the failure as a fact ("Root user has access keys").
  const titleOf = (finding, check) =>
    finding.status === "FAIL" || finding.status === "WARN" ? check.fail_title || check.title : check.title;

  const rows = data.findings.map((finding, index) => {
    const check = data.checks[finding.check];
    const haystack = [
      finding.check,
      titleOf(finding, check),
      finding.region,
      finding.resource,
      finding.message,
      JSON.stringify(finding.evidence),
      finding.suppression ? `suppressed ${finding.suppression.reason}` : "",
    ];
    return { index, finding, check, text: haystack.join("\n").toLowerCase() };
  });

  function element(tag, className, text) {
    const node = document.createElement(tag);
    if (className) {
      node.className = className;
    }
    if (text !== undefined && text !== null) {
      node.textContent = String(text);
    }
    return node;
  }

  function cell(...children) {
    const td = element("td");
    children.forEach((child) => td.append(child));
    return td;
  }

  function isWebLink(url) {
    return typeof url === "string" && /^https?:\/\//i.test(url);
  }

  function currentQuery() {
    const query = {
      terms: search.value.toLowerCase().split(/\s+/).filter(Boolean),
      passed: passed.checked,
    };
    selects.forEach((select) => {
      query[select.dataset.filter] = select.value;
    });
    return query;
  }

  // What each drop-down compares; "change" exists only when the run had a baseline.
  const fields = {
    pillar: (row) => row.check.pillar,
    severity: (row) => row.finding.severity,
    status: (row) => row.finding.status,
    region: (row) => row.finding.region,
    check: (row) => row.finding.check,
    change: (row) => (row.finding.change ? row.finding.change.kind : ""),
  };

  function matchesChange(row, wanted) {
    return wanted === "new-failure" ? Boolean(row.finding.new_failure) : fields.change(row) === wanted;
  }

  // PASS rows stay hidden unless "Show passed" is ticked or the status filter asks for them.
  function matches(row, query) {
    if (!query.status && !query.passed && row.finding.status === "PASS") {
      return false;
    }
    for (const select of selects) {
      const name = select.dataset.filter;
      const wanted = query[name];
      if (wanted && !(name === "change" ? matchesChange(row, wanted) : fields[name](row) === wanted)) {
        return false;
      }
    }
    return query.terms.every((term) => row.text.includes(term));
  }

  function markers(finding) {
    const parts = [];
    if (finding.new_failure) {
      parts.push(element("span", "badge change-new", "new"));
    } else if (finding.change && finding.change.kind === "changed") {
      const was = element("span", "badge change-changed", "changed");
      was.title = `was ${finding.change.previous_status || "?"}`;
      parts.push(was);
    }
    if (finding.suppression) {
      const badge = element("span", "badge suppressed", "suppressed");
      badge.title = finding.suppression.reason;
      parts.push(badge);
    }
    return parts;
  }

  function summaryRow(row) {
    const finding = row.finding;
    const tr = element("tr", "finding");
    tr.dataset.index = String(row.index);
    const toggle = element("button", "expand");
    toggle.type = "button";
    toggle.setAttribute("aria-expanded", String(expanded.has(row.index)));
    toggle.setAttribute("aria-controls", `finding-detail-${row.index}`);
    toggle.setAttribute("aria-label", `Details of ${finding.check} on ${finding.resource}`);
    const checkCell = cell(element("span", "check-id", finding.check), element("br"));
    checkCell.append(element("span", "muted", titleOf(finding, row.check)));
    const statusCell = cell(
      element("span", `badge status-${finding.status}`, data.statuses[finding.status] || finding.status),
    );
    markers(finding).forEach((badge) => statusCell.append(" ", badge));
    tr.append(
      cell(toggle),
      cell(element("span", `badge severity-${finding.severity}`, finding.severity)),
      statusCell,
      checkCell,
      cell(finding.region),
      cell(element("span", "resource", finding.resource)),
      cell(finding.message),
    );
    return tr;
  }

  function detailRow(row) {
    const finding = row.finding;
    const tr = element("tr", "detail");
    tr.id = `finding-detail-${row.index}`;
    const td = element("td");
    td.colSpan = 7;
    const list = element("dl", "detail-list");
    const add = (term, ...content) => {
      const wrapper = element("div");
      const dd = element("dd");
      content.forEach((part) => dd.append(part));
      wrapper.append(element("dt", null, term), dd);
      list.append(wrapper);
    };
    add("Message", finding.message);
    if (finding.change) {
      const before = finding.change.previous_status
        ? `; was ${finding.change.previous_status} (${finding.change.previous_severity})`
        : "";
      add("Since baseline", `${finding.change.kind}${before}`);
    }
    if (finding.suppression) {
      add("Suppressed", `until ${finding.suppression.expires}: ${finding.suppression.reason}`);
    }
    add("Resource", element("code", null, finding.resource));
    add("Evidence", element("pre", "evidence", JSON.stringify(finding.evidence, null, 2)));
    add("Best practices", (finding.bps || row.check.bps).join(", "));
    add("Remediation", row.check.remediation || "–");
    if (isWebLink(row.check.docs)) {
      const link = element("a", null, row.check.docs);
      link.href = row.check.docs;
      link.rel = "noopener noreferrer";
      add("Documentation", link);
    }
    td.append(list);
    tr.append(td);
    return tr;
  }

  // Findings of one check with one verdict are one group: "FAIL in 17 regions", opened on a click.
  const groupKey = (finding) => [finding.check, finding.status, finding.severity].join("\u0000");

  function groupsOf(shown) {
    const groups = new Map();
    shown.forEach((row) => {
      const key = groupKey(row.finding);
      if (!groups.has(key)) {
        groups.set(key, []);
      }
      groups.get(key).push(row);
    });
    return Array.from(groups, ([key, members]) => ({ key, members }));
  }

  function extentOf(members) {
    const regions = new Set(members.map((row) => row.finding.region));
    if (regions.size === members.length) {
      return `${members.length} regions`;
    }
    if (regions.size === 1) {
      return `${members.length} resources`;
    }
    return `${members.length} resources in ${regions.size} regions`;
  }

  // Each distinct message, its own region's name aside (as the terminal and Top failures say).
  function distinctMessages(members) {
    const seen = new Map();
    members.forEach((row) => {
      const finding = row.finding;
      const key = finding.region === "global" ? finding.message : finding.message.split(finding.region).join("\u0000");
      if (seen.has(key)) {
        seen.get(key).count += 1;
      } else {
        seen.set(key, { finding, count: 1 });
      }
    });
    return Array.from(seen.values());
  }

  function groupRow(group) {
    const first = group.members[0];
    const open = openGroups.has(group.key);
    const tr = element("tr", "group");
    tr.dataset.group = group.key;
    const toggle = element("button", "expand");
    toggle.type = "button";
    toggle.setAttribute("aria-expanded", String(open));
    toggle.setAttribute("aria-label", `The ${group.members.length} findings of ${first.finding.check}`);
    const checkCell = cell(element("span", "check-id", first.finding.check), element("br"));
    checkCell.append(element("span", "muted", titleOf(first.finding, first.check)));
    const status = first.finding.status;
    const messages = element("ul", "messages");
    distinctMessages(group.members).forEach((said) => {
      const item = element("li");
      item.append(element("span", "muted", `${said.finding.region}: `), said.finding.message);
      if (said.count > 1) {
        item.append(element("span", "muted", ` (and ${said.count - 1} more like it)`));
      }
      messages.append(item);
    });
    tr.append(
      cell(toggle),
      cell(element("span", `badge severity-${first.finding.severity}`, first.finding.severity)),
      cell(element("span", `badge status-${status}`, data.statuses[status] || status)),
      checkCell,
      cell(element("strong", "extent", extentOf(group.members))),
      cell(element("span", "muted", `${group.members.length} findings`)),
      cell(messages),
    );
    return tr;
  }

  function appendFinding(fragment, row, member) {
    const tr = summaryRow(row);
    if (member) {
      tr.classList.add("member");
    }
    fragment.append(tr);
    if (expanded.has(row.index)) {
      fragment.append(detailRow(row));
    }
  }

  function render() {
    const query = currentQuery();
    const shown = rows.filter((row) => matches(row, query));
    const hiddenPasses = query.status || query.passed ? 0 : rows.filter((row) => row.finding.status === "PASS").length;
    const fragment = document.createDocumentFragment();
    const items = grouped.checked ? groupsOf(shown) : shown.map((row) => ({ key: "", members: [row] }));
    items.slice(0, limit).forEach((group) => {
      if (group.members.length === 1) {
        appendFinding(fragment, group.members[0], false);
        return;
      }
      fragment.append(groupRow(group));
      if (openGroups.has(group.key)) {
        group.members.forEach((row) => appendFinding(fragment, row, true));
      }
    });
    if (!shown.length) {
      const empty = element("tr", "no-match");
      const td = element("td", null, "No findings match these filters.");
      td.colSpan = 7;
      empty.append(td);
      fragment.append(empty);
    }
    body.replaceChildren(fragment);
    const visible = items.slice(0, limit).reduce((sum, group) => sum + group.members.length, 0);
    let text = `Showing ${visible} of ${shown.length} matching findings (${rows.length} in all)`;
    if (grouped.checked) {
      text += ` in ${items.length} ${items.length === 1 ? "group" : "groups"}`;
    }
    if (hiddenPasses) {
      text += `; ${hiddenPasses} passed hidden`;
    }
    countLine.textContent = `${text}.`;
    moreButton.hidden = items.length <= limit;
    moreButton.textContent = `Show ${Math.min(PAGE_SIZE, items.length - limit)} more`;
  }

  // The filters live in the address (#findings?status=FAIL&region=eu-west-1), so a filtered
  // view can be bookmarked or sent; only known filters and values are read back from it.
  const STATE_PREFIX = "#findings?";

  function stateHash() {
    const params = new URLSearchParams();
    if (search.value.trim()) {
      params.set("q", search.value.trim());
    }
    selects.forEach((select) => {
      if (select.value) {
        params.set(select.dataset.filter, select.value);
      }
    });
    if (passed.checked) {
      params.set("passed", "1");
    }
    if (!grouped.checked) {
      params.set("flat", "1");
    }
    const text = params.toString();
    return text ? STATE_PREFIX + text : "";
  }

  function saveState() {
    const hash = stateHash();
    const current = window.location.hash;
    if (hash === current || (!hash && !current.startsWith(STATE_PREFIX))) {
      return;
    }
    const base = window.location.href.split("#")[0];
    try {
      window.history.replaceState(null, "", hash ? base + hash : base + "#findings");
    } catch (error) {
      window.location.replace(hash || "#findings");
    }
  }

  function loadState() {
    const hash = window.location.hash;
    if (!hash.startsWith(STATE_PREFIX)) {
      return false;
    }
    const params = new URLSearchParams(hash.slice(STATE_PREFIX.length));
    search.value = params.get("q") || "";
    selects.forEach((select) => {
      const wanted = params.get(select.dataset.filter) || "";
      const known = Array.from(select.options).some((option) => option.value === wanted);
      select.value = known ? wanted : "";
    });
    passed.checked = params.get("passed") === "1";
    grouped.checked = params.get("flat") !== "1";
    return true;
  }

  function rerender() {
    limit = PAGE_SIZE;
    saveState();
    render();
  }

  body.addEventListener("click", (event) => {
    if (event.target.closest("a")) {
      return;
    }
    const group = event.target.closest("tr.group");
    if (group) {
      const key = group.dataset.group;
      if (openGroups.has(key)) {
        openGroups.delete(key);
      } else {
        openGroups.add(key);
      }
      render();
      const again = Array.from(body.querySelectorAll("tr.group")).find((row) => row.dataset.group === key);
      if (again) {
        again.querySelector("button.expand").focus();
      }
      return;
    }
    const tr = event.target.closest("tr.finding");
    if (!tr) {
      return;
    }
    const index = Number(tr.dataset.index);
    if (expanded.has(index)) {
      expanded.delete(index);
    } else {
      expanded.add(index);
    }
    render();
    const toggle = body.querySelector(`tr.finding[data-index="${index}"] button.expand`);
    if (toggle) {
      toggle.focus();
    }
  });
  search.addEventListener("input", rerender);
  [passed, grouped, ...selects].forEach((control) => control.addEventListener("change", rerender));
  byId("filter-reset").addEventListener("click", () => {
    search.value = "";
    selects.forEach((select) => {
      select.value = "";
    });
    passed.checked = false;
    expanded.clear();
    openGroups.clear();
    rerender();
  });
  moreButton.addEventListener("click", () => {
    limit += PAGE_SIZE;
    render();
  });

  // Printing for a review meeting: open the questions that carry a risk, close them afterwards.
  const opened = [];
  window.addEventListener("beforeprint", () => {
    document.querySelectorAll("details.risk-HIGH, details.risk-MEDIUM, details.more-failures").forEach((details) => {
      if (!details.open) {
        details.open = true;
        opened.push(details);
      }
    });
  });
  window.addEventListener("afterprint", () => {
    opened.splice(0).forEach((details) => {
      details.open = false;
    });
  });

  window.addEventListener("hashchange", () => {
    if (loadState()) {
      limit = PAGE_SIZE;
      render();
    }
  });

  app.hidden = false;
  if (loadState()) {
    render();
    byId("findings").scrollIntoView();
  } else {
    render();
  }
})();
