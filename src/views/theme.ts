// Colours, honouring NO_COLOR (https://no-color.org): when it is set to anything non-empty, no
// foreground/background colour is ever emitted; selection stays visible through inverse video and
// a `>` cursor, marks through `*`, errors through their text.
import { createContext, useContext } from 'react';

export interface Theme {
  color: boolean;
}

export function themeFromEnv(env: NodeJS.ProcessEnv = process.env): Theme {
  const noColor = env.NO_COLOR;
  return { color: !(typeof noColor === 'string' && noColor !== '') };
}

export const ThemeContext = createContext<Theme>(themeFromEnv());

export function useTheme(): Theme {
  return useContext(ThemeContext);
}

/** A colour name, or undefined when colours are off. */
export function tint(theme: Theme, color: string | undefined): string | undefined {
  return theme.color ? color : undefined;
}

export function statusColor(status: string): string | undefined {
  switch (status) {
    case 'Running':
      return 'green';
    case 'Stopped':
      return 'gray';
    case 'Frozen':
      return 'cyan';
    case 'Error':
    case 'Failure':
      return 'red';
    case 'Success':
      return 'green';
    case 'Cancelled':
      return 'yellow';
    default:
      return 'yellow';
  }
}
