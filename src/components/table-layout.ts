// How tables fit small screens (phones, 1024 px laptops with the side menu
// open): a table wider than its card scrolls sideways inside the card, never
// the page, with its key column (what names the row, usually the link) fixed
// at the left so every row stays recognisable. src/responsive.css makes every
// other table scroll inside its card too; a table whose rows read well stacked
// (the message centre) may instead stack below antd's `md` breakpoint.

/** `scroll` for a list table: as wide as its content needs, scrolling inside the card. */
export const TABLE_SCROLL = { x: 'max-content' } as const;

/** The key column: fixed at the left while the rest scrolls (spread into a column: `{...KEY_COLUMN}`). */
export const KEY_COLUMN = { fixed: 'left', width: 180 } as const;
