// Icons beside a control's words are decoration: "Next", not "arrow-right Next".
// antd's icons are <span role="img" aria-label="arrow-right">, so every button
// with an icon and a label (ours and Refine's Create, Edit, Save…) was read out
// with the icon's file name first. Neither antd nor @ant-design/icons has a
// setting for it and Refine's buttons draw their own icons, so one observer on
// the portal's root hides such icons from assistive technology as they appear.
// An icon that is a control's only content stays: it may be all its name.

// An <a> without href is no link: AT ignores its aria-label (antd's toast close "link"), so its icon stays its name.
const CONTROLS = 'button, a[href], [role="button"], [role="menuitem"], [role="tab"], [role="link"]';

/** The control has a name of its own besides the icons: an aria-label(ledby) or words. */
function labelledWithoutIcons(control: Element): boolean {
  if (control.hasAttribute('aria-label') || control.hasAttribute('aria-labelledby')) return true;
  return (control.textContent ?? '').trim() !== '';
}

function hideIconsIn(root: ParentNode): void {
  for (const icon of root.querySelectorAll('.anticon[role="img"]:not([aria-hidden])')) {
    const control = icon.closest(CONTROLS);
    if (control && labelledWithoutIcons(control)) icon.setAttribute('aria-hidden', 'true');
  }
}

/** Hides decorative icons inside labelled controls under `root`, now and whenever some are added; returns a stop. */
export function hideDecorativeIcons(root: HTMLElement): () => void {
  hideIconsIn(root);
  const observer = new MutationObserver((mutations) => {
    for (const mutation of mutations) {
      // A new icon, or words arriving beside one (a label rendered after its icon).
      const target = mutation.target instanceof Element ? mutation.target : mutation.target.parentElement;
      const control = target?.closest(CONTROLS);
      if (control) hideIconsIn(control);
      for (const node of mutation.addedNodes) if (node instanceof Element) hideIconsIn(node.closest(CONTROLS) ?? node);
    }
  });
  observer.observe(root, { childList: true, subtree: true, characterData: true });
  return () => observer.disconnect();
}
