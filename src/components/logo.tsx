// The product mark, and the brand link (mark + name) at the top of the menu
// and on the sign-in pages.
import type { CSSProperties } from 'react';
import { Link } from 'react-router';

/** The product mark: a document list on a rounded square, drawn in the current colour. */
export function PortalLogo({ size = 24 }: { size?: number }) {
  return (
    <svg width={size} height={size} viewBox="0 0 32 32" aria-hidden="true" focusable="false">
      <rect width="32" height="32" rx="6" fill="currentColor" />
      <path d="M8 9h16v3H8zM8 15h16v3H8zM8 21h10v3H8z" fill="#fff" />
    </svg>
  );
}

/**
 * Mark and product name, linking home. Not a heading (Refine's ThemedTitle is
 * an h1, which put every page's own title out of order); with `iconOnly` the
 * name is the link's accessible name instead of its text.
 */
export function PortalBrand({ productName, iconOnly = false, style }: { productName: string; iconOnly?: boolean; style?: CSSProperties }) {
  return (
    <Link
      to="/"
      aria-label={iconOnly ? productName : undefined}
      className="portal-brand"
      style={{ display: 'inline-flex', alignItems: 'center', gap: 8, color: 'inherit', textDecoration: 'none', ...style }}
    >
      <span style={{ color: '#005EB8', display: 'inline-flex' }}>
        <PortalLogo />
      </span>
      {!iconOnly && <span style={{ fontWeight: 700, color: 'rgba(0, 0, 0, 0.88)' }}>{productName}</span>}
    </Link>
  );
}
