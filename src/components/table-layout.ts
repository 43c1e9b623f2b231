// How tables fit small screens (phones, 1024 px laptops with the side menu
// open): a table wider than its card scrolls sideways inside the card, never
// the page, with its key column (what names the row, usually the link) fixed
// at the left so every row stays recognisable. src/responsive.css makes every
// other table scroll inside its card too; a table whose rows read well stacked
// (the message centre) may instead stack below antd's `md` breakpoint.

/**
 * `scroll` for a list table: as wide as its content needs, scrolling inside the
 * card. A table with long wrapping text gives a width instead (`{ x: 960 }`).
 */
export const TABLE_SCROLL = { x: 'max-content' } as const;

/** The key column: fixed at the left while the rest scrolls (spread into a column: `{...KEY_COLUMN}`). */
export const KEY_COLUMN = { fixed: 'left', width: 180 } as const;

/**
 * Columns of a bordered Descriptions (label, value, label, value): two side by
 * side only from antd's `lg` up; below that they squeezed the values to a
 * character per line on a phone.
 */
export const DESCRIPTION_COLUMNS = { xs: 1, sm: 1, md: 1, lg: 2, xl: 2, xxl: 2 } as const;
