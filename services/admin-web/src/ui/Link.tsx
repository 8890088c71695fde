import type { MouseEvent, ReactNode } from 'react';
import { navigate } from './router';

/** An in-app link: a real anchor (keyboard, middle click) that navigates without a reload. */
export function Link({ href, children, current }: { href: string; children: ReactNode; current?: boolean }) {
  const onClick = (e: MouseEvent<HTMLAnchorElement>) => {
    if (e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
    e.preventDefault();
    navigate(href);
  };
  return (
    <a href={href} onClick={onClick} aria-current={current === true ? 'page' : undefined}>
      {children}
    </a>
  );
}
