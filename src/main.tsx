// Entry point. Checks that Vite compiled in a Supabase project before loading
// the portal, so a missing setting is explained on the page.
import '@refinedev/antd/dist/reset.css';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { installAntdReact19Render } from './lib/antd-react19.ts';
import { readSupabaseSettings } from './providers/supabase-settings.ts';

installAntdReact19Render();

function ConfigurationProblem({ problem }: { problem: string }) {
  return (
    <main style={{ fontFamily: 'Arial, sans-serif', maxWidth: 640, margin: '64px auto', padding: '0 24px' }}>
      <h1 style={{ color: '#005EB8' }}>Commissioning Portal is not configured</h1>
      <p>{problem}</p>
    </main>
  );
}

const container = document.getElementById('root');
if (!container) throw new Error('index.html has no #root element');
const root = createRoot(container);

const settings = readSupabaseSettings(import.meta.env);
if (!settings.ok) {
  root.render(<ConfigurationProblem problem={settings.problem} />);
} else {
  const { App } = await import('./App.tsx');
  root.render(
    <StrictMode>
      <App />
    </StrictMode>,
  );
}
