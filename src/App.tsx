// The portal wired to Supabase: the real data provider and the browser's address bar.
import { BrowserRouter } from 'react-router';
import { Portal } from './portal.tsx';
import { dataProvider } from './providers/data-provider.ts';
import { supabaseSettings } from './providers/supabase-client.ts';
import { environmentLabel } from './providers/supabase-settings.ts';

export function App() {
  return (
    <BrowserRouter>
      <Portal dataProvider={dataProvider} environment={environmentLabel(supabaseSettings.url)} />
    </BrowserRouter>
  );
}

export default App;
