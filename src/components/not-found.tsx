// 404: shown for any address the portal does not know.
import { useTranslate } from '@refinedev/core';
import { Button, Result } from 'antd';
import { useNavigate } from 'react-router';
import { ResultTitle } from './page.tsx';

export function NotFound() {
  const navigate = useNavigate();
  const translate = useTranslate();
  return (
    <Result
      status="404"
      title={<ResultTitle>{translate('shell.notFound.title', 'Page not found')}</ResultTitle>}
      subTitle={translate(
        'shell.notFound.subTitle',
        'If you typed the web address, check it is correct. If you pasted it, check you copied the entire address.',
      )}
      extra={
        <Button type="primary" onClick={() => navigate('/')}>
          {translate('shell.goHome', 'Go to the home page')}
        </Button>
      }
    />
  );
}
