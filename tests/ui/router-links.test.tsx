// The portal's router bindings (src/providers/router-provider.tsx): a Refine
// button (an antd Button inside a router Link) is one tab stop, the button,
// and pressing it still navigates; other links are untouched.
import { fireEvent, render, screen } from '@testing-library/react';
import { Button } from 'antd';
import type { ReactNode } from 'react';
import { MemoryRouter, Route, Routes } from 'react-router';
import { describe, expect, it } from 'vitest';
import { routerProvider, wrapsButton } from '../../src/providers/router-provider.tsx';

const Link = routerProvider.Link!;

function renderAt(children: ReactNode) {
  return render(
    <MemoryRouter initialEntries={['/ZN1/registrations']}>
      <Routes>
        <Route path="/ZN1/registrations" element={children} />
        <Route path="/ZN1/registrations/:id" element={<h1>Review</h1>} />
      </Routes>
    </MemoryRouter>,
  );
}

describe('router links', () => {
  it('takes a link around a button out of the tab order; the button navigates', async () => {
    renderAt(
      <Link to="/ZN1/registrations/p1">
        <Button aria-label="Review the registration of Nina Newman">Review</Button>
      </Link>,
    );
    const link = screen.getByRole('link');
    expect(link.getAttribute('tabindex')).toBe('-1');
    const button = screen.getByRole('button', { name: 'Review the registration of Nina Newman' });
    expect(button.tabIndex).toBe(0);
    // Enter or Space on a button is a click; it bubbles to the link, which navigates.
    fireEvent.click(button);
    expect(await screen.findByRole('heading', { name: 'Review' })).toBeTruthy();
  });

  it('leaves a plain link in the tab order', () => {
    renderAt(<Link to="/ZN1/registrations/p1">Nina Newman</Link>);
    const link = screen.getByRole('link', { name: 'Nina Newman' });
    expect(link.hasAttribute('tabindex')).toBe(false);
    expect(wrapsButton('Nina Newman')).toBe(false);
    expect(wrapsButton(<Button>Review</Button>)).toBe(true);
  });
});
