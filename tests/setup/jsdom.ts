// Browser APIs that jsdom lacks but Ant Design and Refine use. Loaded by the
// vitest `ui` project before every test file.
import { cleanup, configure } from '@testing-library/react';
import { afterEach } from 'vitest';

// Ant Design pages are heavy to render in jsdom, and `npm test` runs every
// project at once: give findBy*/waitFor more than the default second.
configure({ asyncUtilTimeout: 5000 });

afterEach(() => {
  cleanup();
});

if (!window.matchMedia) {
  // antd's Grid.useBreakpoint subscribes to media queries. Report a wide
  // desktop screen: `min-width` queries match, `max-width` ones do not.
  window.matchMedia = (query: string): MediaQueryList => {
    const listeners = new Set<(event: MediaQueryListEvent) => void>();
    return {
      matches: /min-width/.test(query) && !/max-width/.test(query),
      media: query,
      onchange: null,
      addListener: (listener) => {
        if (listener) listeners.add(listener);
      },
      removeListener: (listener) => {
        if (listener) listeners.delete(listener);
      },
      addEventListener: (_type: string, listener: EventListenerOrEventListenerObject) => {
        if (typeof listener === 'function') listeners.add(listener as (event: MediaQueryListEvent) => void);
      },
      removeEventListener: (_type: string, listener: EventListenerOrEventListenerObject) => {
        if (typeof listener === 'function') listeners.delete(listener as (event: MediaQueryListEvent) => void);
      },
      dispatchEvent: () => false,
    } as MediaQueryList;
  };
}

const browser = globalThis as Partial<Pick<typeof globalThis, 'ResizeObserver' | 'IntersectionObserver'>>;

if (!browser.ResizeObserver) {
  class ResizeObserverStub implements ResizeObserver {
    observe(): void {}
    unobserve(): void {}
    disconnect(): void {}
  }
  globalThis.ResizeObserver = ResizeObserverStub;
}

if (!browser.IntersectionObserver) {
  class IntersectionObserverStub implements IntersectionObserver {
    readonly root = null;
    readonly rootMargin = '0px';
    readonly thresholds: readonly number[] = [];
    observe(): void {}
    unobserve(): void {}
    disconnect(): void {}
    takeRecords(): IntersectionObserverEntry[] {
      return [];
    }
  }
  globalThis.IntersectionObserver = IntersectionObserverStub;
}

// jsdom implements getComputedStyle but warns on pseudo-elements; antd's
// scrollbar measurement asks for them. Answer without the pseudo-element.
const originalGetComputedStyle = window.getComputedStyle.bind(window);
window.getComputedStyle = (element: Element, _pseudoElement?: string | null) => originalGetComputedStyle(element);

// jsdom's scrollTo only logs "not implemented"; Refine scrolls to the top on navigation.
window.scrollTo = (() => {}) as typeof window.scrollTo;
