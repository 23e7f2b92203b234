// The report webview's only script (loaded by nonce): links to plan lines and report files post a message to the
// extension, which reveals the line in the plan or opens the file.
(function () {
  const vscode = acquireVsCodeApi();
  // The plan this report belongs to: VS Code keeps the state, so the panel comes back after a window reload.
  if (document.body.dataset.plan) vscode.setState({ plan: document.body.dataset.plan });
  document.addEventListener('click', event => {
    const target = event.target instanceof Element ? event.target.closest('a[data-line], a[data-action]') : null;
    if (!target) return;
    event.preventDefault();
    if (target.dataset.line !== undefined) {
      vscode.postMessage({ type: 'reveal', line: Number(target.dataset.line) });
    } else if (target.dataset.action === 'open') {
      vscode.postMessage({ type: 'open', file: target.dataset.file });
    } else if (target.dataset.action === 'rerun') {
      vscode.postMessage({ type: 'rerun' });
    }
  });
}());
